CREATE TABLE `gift_cards` (
	`id` text PRIMARY KEY NOT NULL,
	`code_hash` text NOT NULL,
	`last4` text NOT NULL,
	`currency` text NOT NULL,
	`initial_amount` integer NOT NULL,
	`balance` integer NOT NULL,
	`expires_at` integer,
	`recipient_email` text,
	`note` text,
	`source` text NOT NULL,
	`order_id` text,
	`disabled` integer DEFAULT false NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `gift_cards_code_hash_unique` ON `gift_cards` (`code_hash`);--> statement-breakpoint
CREATE INDEX `gift_cards_created_idx` ON `gift_cards` (`created_at`);--> statement-breakpoint
CREATE INDEX `gift_cards_order_idx` ON `gift_cards` (`order_id`);--> statement-breakpoint
CREATE TABLE `order_gift_cards` (
	`order_id` text NOT NULL,
	`card_id` text NOT NULL,
	`position` integer NOT NULL,
	`last4` text NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`order_id`, `card_id`)
);
--> statement-breakpoint
CREATE INDEX `order_gift_cards_card_idx` ON `order_gift_cards` (`card_id`);--> statement-breakpoint
ALTER TABLE `variants` ADD `gift_card` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `refunds` ADD `gift_card_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `gift_card_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `gift_card_refunded` integer DEFAULT 0 NOT NULL;