ALTER TABLE "restrictions" ADD COLUMN "compliance_recorded_on" date;--> statement-breakpoint
ALTER TABLE "restrictions" ADD COLUMN "complied" boolean;--> statement-breakpoint
ALTER TABLE "restrictions" ADD COLUMN "compliance_note" text;--> statement-breakpoint
ALTER TABLE "restrictions" ADD COLUMN "reviewed_on" date;