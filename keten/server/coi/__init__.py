"""Country-of-origin information: dated, sourced reports (ambtsberichten, EUAA Country
Guidance, CGVS COI Focus), the events that end them, and the decisions that cite them."""
