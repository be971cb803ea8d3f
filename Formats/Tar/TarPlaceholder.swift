/// Placeholder until the tar reader and writer land.
enum TarPlaceholder {}
