-- Lessons and slides are ordered by order keys (classkit_model::order) instead of integer
-- positions: a move writes one key between its neighbours' and touches no other row, so
-- reorderings made offline merge. A row's position is now derived when it is read.
--
-- Existing rows get, in their current order (position, then id), the keys that
-- `order::sequence` gives a new list of their length: a0 … az, b00 … bzz, c000 … czzz
-- (room for 242,234 siblings; no library holds a lesson of more slides).

ALTER TABLE lessons ADD COLUMN order_key TEXT NOT NULL DEFAULT '';
ALTER TABLE slides ADD COLUMN order_key TEXT NOT NULL DEFAULT '';

UPDATE lessons SET order_key = CASE
        WHEN r.i < 62 THEN 'a' || substr(r.digits, r.i + 1, 1)
        WHEN r.i < 3906 THEN 'b' || substr(r.digits, (r.i - 62) / 62 + 1, 1)
            || substr(r.digits, (r.i - 62) % 62 + 1, 1)
        ELSE 'c' || substr(r.digits, (r.i - 3906) / 3844 + 1, 1)
            || substr(r.digits, (r.i - 3906) / 62 % 62 + 1, 1)
            || substr(r.digits, (r.i - 3906) % 62 + 1, 1)
    END
FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY course_id ORDER BY position, id) - 1 AS i,
        '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' AS digits
    FROM lessons
) AS r
WHERE r.id = lessons.id;

-- (The same keys, per lesson.)
UPDATE slides SET order_key = CASE
        WHEN r.i < 62 THEN 'a' || substr(r.digits, r.i + 1, 1)
        WHEN r.i < 3906 THEN 'b' || substr(r.digits, (r.i - 62) / 62 + 1, 1)
            || substr(r.digits, (r.i - 62) % 62 + 1, 1)
        ELSE 'c' || substr(r.digits, (r.i - 3906) / 3844 + 1, 1)
            || substr(r.digits, (r.i - 3906) / 62 % 62 + 1, 1)
            || substr(r.digits, (r.i - 3906) % 62 + 1, 1)
    END
FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY lesson_id ORDER BY position, id) - 1 AS i,
        '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' AS digits
    FROM slides
) AS r
WHERE r.id = slides.id;

-- DROP COLUMN refuses a column an index uses, so the position indexes go first.
DROP INDEX lessons_by_course;
DROP INDEX slides_by_lesson;
ALTER TABLE lessons DROP COLUMN position;
ALTER TABLE slides DROP COLUMN position;

CREATE INDEX lessons_by_course ON lessons(course_id, order_key, id);
CREATE INDEX slides_by_lesson ON slides(lesson_id, order_key, id);
