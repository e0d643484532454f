"""The kwaliteitsfunctionaris' figures and their workbook: pure."""
