-- Posters uploaded through the api: the renditions' public URLs with their sizes,
-- narrowest first ([{url, width, height}]), for the web's srcset. Empty when the poster is a
-- pasted URL or there is none; poster_url then says everything.
ALTER TABLE events
    ADD COLUMN poster_images jsonb NOT NULL DEFAULT '[]'::jsonb
        CONSTRAINT events_poster_images_array CHECK (jsonb_typeof(poster_images) = 'array');
