CREATE TABLE `usage_minutes` (
	`minute` integer NOT NULL,
	`class` text NOT NULL,
	`metric` text NOT NULL,
	`value` real NOT NULL,
	PRIMARY KEY(`minute`, `class`, `metric`)
);
