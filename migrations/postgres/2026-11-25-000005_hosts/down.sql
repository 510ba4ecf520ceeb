UPDATE deliveries SET state = 'pending' WHERE state = 'parked';
ALTER TABLE deliveries DROP COLUMN retry_since;
DROP TABLE hosts;
