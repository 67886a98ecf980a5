CREATE TABLE `customer_addresses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`address` text NOT NULL,
	`last_used_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_addresses_fingerprint_idx` ON `customer_addresses` (`customer_id`,`fingerprint`);--> statement-breakpoint
CREATE TABLE `customer_login_links` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`email` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_login_links_hash_idx` ON `customer_login_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `customer_login_links_expiry_idx` ON `customer_login_links` (`expires_at`);--> statement-breakpoint
CREATE TABLE `customer_segment_history` (
	`customer_id` text NOT NULL,
	`at` integer NOT NULL,
	`segment` text NOT NULL,
	`rfm` text,
	PRIMARY KEY(`customer_id`, `at`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `customer_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `customer_sessions_customer_idx` ON `customer_sessions` (`customer_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`phone` text,
	`merged_into` text,
	`verified_at` integer,
	`marketing_consent` integer DEFAULT false NOT NULL,
	`consent_changed_at` integer,
	`orders_count` integer DEFAULT 0 NOT NULL,
	`lifetime_value` integer DEFAULT 0 NOT NULL,
	`first_order_at` integer,
	`last_order_at` integer,
	`segment` text,
	`rfm` text,
	`scored_at` integer,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_email_idx` ON `customers` (`email`);--> statement-breakpoint
CREATE INDEX `customers_segment_idx` ON `customers` (`segment`,`last_order_at`);--> statement-breakpoint
CREATE INDEX `customers_last_order_idx` ON `customers` (`last_order_at`);--> statement-breakpoint
CREATE TABLE `segments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`rules` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `segments_slug_idx` ON `segments` (`slug`);--> statement-breakpoint
ALTER TABLE `orders` ADD `customer_id` text;--> statement-breakpoint
CREATE INDEX `orders_customer_idx` ON `orders` (`customer_id`,`created_at`);--> statement-breakpoint
-- Orders placed before customers existed: one customer per normalised email, figures from paid orders.
INSERT INTO `customers` (`id`, `email`, `created_at`, `updated_at`)
SELECT 'cus_' || lower(hex(randomblob(12))), `e`, min(`created_at`), max(`created_at`)
FROM (SELECT lower(trim(`email`)) AS `e`, `created_at` FROM `orders`) GROUP BY `e`;--> statement-breakpoint
UPDATE `orders` SET `customer_id` = (SELECT `id` FROM `customers` WHERE `customers`.`email` = lower(trim(`orders`.`email`)));--> statement-breakpoint
UPDATE `customers` SET
	`name` = coalesce((SELECT json_extract(`shipping_address`, '$.name') FROM `orders` WHERE `customer_id` = `customers`.`id` ORDER BY `created_at` DESC LIMIT 1), ''),
	`orders_count` = (SELECT count(*) FROM `orders` WHERE `customer_id` = `customers`.`id` AND `paid_at` IS NOT NULL),
	`lifetime_value` = (SELECT coalesce(sum(`total` - `refunded`), 0) FROM `orders` WHERE `customer_id` = `customers`.`id` AND `paid_at` IS NOT NULL),
	`first_order_at` = (SELECT min(`paid_at`) FROM `orders` WHERE `customer_id` = `customers`.`id`),
	`last_order_at` = (SELECT max(`paid_at`) FROM `orders` WHERE `customer_id` = `customers`.`id`);
