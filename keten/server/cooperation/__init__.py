"""Return cooperation with the Belgian partner (seed 000, point 3): joint identification
missions and special flights, with the seats offered to and taken by the partner."""
