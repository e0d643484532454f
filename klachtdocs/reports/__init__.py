"""overzicht.xlsx: the staff's view of termijnen, meldingen and documents."""
