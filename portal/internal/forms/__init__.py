"""Forms of the staff area; every label and validator message is translated."""
