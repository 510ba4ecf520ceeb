DROP TABLE signature_formats;
