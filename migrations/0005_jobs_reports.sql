CREATE TABLE `daily_order_status` (
	`day` text NOT NULL,
	`status` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `status`)
);
--> statement-breakpoint
CREATE TABLE `daily_product_sales` (
	`day` text NOT NULL,
	`product_id` integer NOT NULL,
	`title` text NOT NULL,
	`units` integer NOT NULL,
	`revenue` integer NOT NULL,
	PRIMARY KEY(`day`, `product_id`)
);
--> statement-breakpoint
CREATE TABLE `daily_sales` (
	`day` text PRIMARY KEY NOT NULL,
	`currency` text NOT NULL,
	`orders_placed` integer NOT NULL,
	`orders_paid` integer NOT NULL,
	`units` integer NOT NULL,
	`revenue` integer NOT NULL,
	`active_carts` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `email_unsubscribes` (
	`email` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_cursors` (
	`job` text PRIMARY KEY NOT NULL,
	`cursor` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`items` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`cursor` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_idx` ON `job_runs` (`job`,`id`);--> statement-breakpoint
ALTER TABLE `cart_index` ADD `reminded_at` integer;