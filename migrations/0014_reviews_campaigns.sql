CREATE TABLE `campaign_recipients` (
	`campaign_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`email` text NOT NULL,
	`unsubscribed_at` integer,
	PRIMARY KEY(`campaign_id`, `customer_id`)
);
--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`product_ids` text NOT NULL,
	`segment` text NOT NULL,
	`status` text NOT NULL,
	`recipients` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`send_started_at` integer,
	`expanded_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `exports` (
	`id` text PRIMARY KEY NOT NULL,
	`segment` text NOT NULL,
	`status` text NOT NULL,
	`rows` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` integer NOT NULL,
	`customer_id` text NOT NULL,
	`order_id` text NOT NULL,
	`rating` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`author_name` text NOT NULL,
	`status` text NOT NULL,
	`flags` text NOT NULL,
	`moderated_at` integer,
	`moderated_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reviews_product_customer_idx` ON `reviews` (`product_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `reviews_status_idx` ON `reviews` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `reviews_product_idx` ON `reviews` (`product_id`,`status`,`created_at`);