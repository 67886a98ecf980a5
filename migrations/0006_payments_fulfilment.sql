CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`amount` integer NOT NULL,
	`reason` text NOT NULL,
	`lines` text,
	`restock` integer DEFAULT false NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`provider_refund_id` text,
	`return_id` text,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `refunds_order_idx` ON `refunds` (`order_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_provider_idx` ON `refunds` (`provider_refund_id`);--> statement-breakpoint
CREATE TABLE `returns` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`lines` text NOT NULL,
	`note` text,
	`refund_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `returns_status_idx` ON `returns` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `returns_order_idx` ON `returns` (`order_id`);--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`carrier` text NOT NULL,
	`tracking_number` text NOT NULL,
	`tracking_url` text,
	`lines` text NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shipments_order_idx` ON `shipments` (`order_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `shipments_tracking_idx` ON `shipments` (`order_id`,`carrier`,`tracking_number`);--> statement-breakpoint
CREATE TABLE `shipping_methods` (
	`id` text PRIMARY KEY NOT NULL,
	`zone_id` integer NOT NULL,
	`name` text NOT NULL,
	`rate` text NOT NULL,
	`min_days` integer,
	`max_days` integer,
	`position` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `shipping_zones`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shipping_methods_zone_idx` ON `shipping_methods` (`zone_id`,`position`);--> statement-breakpoint
CREATE TABLE `shipping_zones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`areas` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tax_rates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`country` text NOT NULL,
	`region` text DEFAULT '*' NOT NULL,
	`name` text NOT NULL,
	`rate_bps` integer NOT NULL,
	`inclusive` integer DEFAULT false NOT NULL,
	`tax_shipping` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tax_rates_place_idx` ON `tax_rates` (`country`,`region`);--> statement-breakpoint
ALTER TABLE `order_events` ADD `kind` text DEFAULT 'status' NOT NULL;--> statement-breakpoint
ALTER TABLE `order_events` ADD `detail` text;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `discount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `tax` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `weight_grams` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `fulfilled_quantity` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `refunded_quantity` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `refunded_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `returned_quantity` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `return_refunded_quantity` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `restocked_quantity` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping_method_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping_method_name` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `tax_included` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `tax_name` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `discount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `refunded` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `payment_intent_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `payment_url` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `paid_at` integer;--> statement-breakpoint
-- Default shipping zones, methods and tax rates; staff change them through /admin/api/shipping and /admin/api/tax-rates.
INSERT INTO `shipping_zones` (`id`, `name`, `areas`, `position`, `created_at`, `updated_at`) VALUES
  (1, 'United States', '["US"]', 0, 1796083200000, 1796083200000),
  (2, 'Canada', '["CA"]', 1, 1796083200000, 1796083200000),
  (3, 'United Kingdom', '["GB"]', 2, 1796083200000, 1796083200000),
  (4, 'European Union', '["AT","BE","DE","ES","FR","IE","IT","NL","PT"]', 3, 1796083200000, 1796083200000),
  (5, 'Rest of the world', '["*"]', 4, 1796083200000, 1796083200000);
--> statement-breakpoint
INSERT INTO `shipping_methods` (`id`, `zone_id`, `name`, `rate`, `min_days`, `max_days`, `position`, `active`, `created_at`, `updated_at`) VALUES
  ('us-standard', 1, 'Standard', '{"type":"free_over","amount":500,"threshold":7500}', 3, 5, 0, 1, 1796083200000, 1796083200000),
  ('us-express', 1, 'Express', '{"type":"weight","bands":[{"upToGrams":1000,"amount":1200},{"upToGrams":5000,"amount":1800},{"upToGrams":30000,"amount":3500}]}', 1, 2, 1, 1, 1796083200000, 1796083200000),
  ('ca-standard', 2, 'Standard', '{"type":"flat","amount":1200}', 4, 8, 0, 1, 1796083200000, 1796083200000),
  ('ca-express', 2, 'Express', '{"type":"flat","amount":2500}', 2, 3, 1, 1, 1796083200000, 1796083200000),
  ('gb-standard', 3, 'Standard', '{"type":"flat","amount":900}', 3, 6, 0, 1, 1796083200000, 1796083200000),
  ('gb-express', 3, 'Express', '{"type":"flat","amount":1900}', 1, 2, 1, 1, 1796083200000, 1796083200000),
  ('eu-standard', 4, 'Standard', '{"type":"flat","amount":1500}', 4, 8, 0, 1, 1796083200000, 1796083200000),
  ('eu-express', 4, 'Express', '{"type":"flat","amount":2900}', 2, 3, 1, 1, 1796083200000, 1796083200000),
  ('intl-standard', 5, 'International', '{"type":"flat","amount":2500}', 7, 21, 0, 1, 1796083200000, 1796083200000);
--> statement-breakpoint
INSERT INTO `tax_rates` (`country`, `region`, `name`, `rate_bps`, `inclusive`, `tax_shipping`, `created_at`, `updated_at`) VALUES
  ('US', '*', 'Sales tax', 0, 0, 0, 1796083200000, 1796083200000),
  ('US', 'CA', 'Sales tax', 725, 0, 0, 1796083200000, 1796083200000),
  ('US', 'NY', 'Sales tax', 400, 0, 1, 1796083200000, 1796083200000),
  ('US', 'TX', 'Sales tax', 625, 0, 1, 1796083200000, 1796083200000),
  ('US', 'WA', 'Sales tax', 650, 0, 1, 1796083200000, 1796083200000),
  ('US', 'FL', 'Sales tax', 600, 0, 1, 1796083200000, 1796083200000),
  ('US', 'IL', 'Sales tax', 625, 0, 0, 1796083200000, 1796083200000),
  ('CA', '*', 'GST', 500, 0, 1, 1796083200000, 1796083200000),
  ('GB', '*', 'VAT', 2000, 1, 1, 1796083200000, 1796083200000),
  ('AT', '*', 'VAT', 2000, 1, 1, 1796083200000, 1796083200000),
  ('BE', '*', 'VAT', 2100, 1, 1, 1796083200000, 1796083200000),
  ('DE', '*', 'VAT', 1900, 1, 1, 1796083200000, 1796083200000),
  ('ES', '*', 'VAT', 2100, 1, 1, 1796083200000, 1796083200000),
  ('FR', '*', 'VAT', 2000, 1, 1, 1796083200000, 1796083200000),
  ('IE', '*', 'VAT', 2300, 1, 1, 1796083200000, 1796083200000),
  ('IT', '*', 'VAT', 2200, 1, 1, 1796083200000, 1796083200000),
  ('NL', '*', 'VAT', 2100, 1, 1, 1796083200000, 1796083200000),
  ('PT', '*', 'VAT', 2300, 1, 1, 1796083200000, 1796083200000);
