"""Date and time formats of our languages where Django's differ from what our readers write
(``FORMAT_MODULE_PATH``): the English pages are read in Flanders and the Netherlands."""
