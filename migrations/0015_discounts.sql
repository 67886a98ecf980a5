CREATE TABLE `discount_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`discount_id` text NOT NULL,
	`batch` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `discount_codes_discount_idx` ON `discount_codes` (`discount_id`,`batch`);--> statement-breakpoint
CREATE TABLE `discounts` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`value` integer NOT NULL,
	`buy_quantity` integer,
	`get_quantity` integer,
	`scope` text,
	`minimum_subtotal` integer,
	`starts_at` integer,
	`ends_at` integer,
	`first_order_only` integer DEFAULT false NOT NULL,
	`segment` text,
	`combinable` integer DEFAULT false NOT NULL,
	`automatic` integer DEFAULT false NOT NULL,
	`usage_limit` integer,
	`per_customer_limit` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `order_discounts` (
	`order_id` text NOT NULL,
	`discount_id` text NOT NULL,
	`code` text,
	`title` text NOT NULL,
	`amount` integer NOT NULL,
	`released_at` integer,
	PRIMARY KEY(`order_id`, `discount_id`)
);
--> statement-breakpoint
CREATE INDEX `order_discounts_discount_idx` ON `order_discounts` (`discount_id`);