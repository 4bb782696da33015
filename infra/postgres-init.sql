-- Run once by the postgres image on an empty volume: one database per service, owned by the cnh role.
CREATE DATABASE cnh_catalogue OWNER cnh;
CREATE DATABASE cnh_submissions OWNER cnh;
CREATE DATABASE cnh_scoring OWNER cnh;
CREATE DATABASE cnh_notifications OWNER cnh;
CREATE DATABASE cnh_gateway OWNER cnh;
