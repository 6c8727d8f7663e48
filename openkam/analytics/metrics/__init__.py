"""Pure metric functions: Ibis tables in, Ibis tables out."""
