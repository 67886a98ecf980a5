CREATE TABLE `loyalty_accounts` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`available` integer DEFAULT 0 NOT NULL,
	`pending` integer DEFAULT 0 NOT NULL,
	`next_due_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `loyalty_accounts_due_idx` ON `loyalty_accounts` (`next_due_at`);--> statement-breakpoint
CREATE TABLE `loyalty_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`earn_per_unit` integer NOT NULL,
	`redeem_step` integer NOT NULL,
	`step_value` integer NOT NULL,
	`pending_days` integer NOT NULL,
	`expiry_days` integer NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `order_lines` ADD `gift_card` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `points_redeemed` integer DEFAULT 0 NOT NULL;