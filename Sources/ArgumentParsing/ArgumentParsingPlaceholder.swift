/// Placeholder until the argument parser lands.
enum ArgumentParsingPlaceholder {}
