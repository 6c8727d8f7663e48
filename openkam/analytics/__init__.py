"""The analytics engine: Ibis tables in, tables out. No Django imports."""
