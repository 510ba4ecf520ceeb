DROP TABLE deliveries;
DROP TABLE activities;
DROP TABLE objects;
DROP TABLE follows;
DROP TABLE account;
DROP TABLE actors;
