-- The gateway creates this table itself before taking the migration lock (src/db/cluster-lock.ts).
CREATE TABLE IF NOT EXISTS `cluster_lock` (
	`name` varchar(64) NOT NULL,
	`owner` varchar(64) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	CONSTRAINT `cluster_lock_name` PRIMARY KEY(`name`)
);
