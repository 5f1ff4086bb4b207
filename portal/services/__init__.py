"""The domain layer. Services change state, check scope and write audit entries; they flush
but never commit: the request (or the command) that called them commits once."""
