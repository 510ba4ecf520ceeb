DROP TABLE profile;
