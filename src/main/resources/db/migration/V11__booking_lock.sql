-- One row every booking locks before it checks for clashes, so two customers confirming the same
-- slot at the same moment cannot both get it (bookings are few; serialising them costs nothing).
CREATE TABLE booking_lock (
    id INT PRIMARY KEY
);
INSERT INTO booking_lock (id) VALUES (1);
