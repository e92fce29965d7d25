"""The digital inspection (digitale keuring): `keuring` holds the checklist, grades, photos, sending and the
customer's item-by-item answer; `photos` makes a tablet's or phone's photo safe to keep; `views` reads an
inspection as JSON. Kept free of imports so that the work order's JSON can read `views` without the rest."""
