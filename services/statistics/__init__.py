"""Statistics and exports for staff: `/statistik` (summary, charts, XLSX)."""
