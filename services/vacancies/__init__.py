"""Open selection (seleksi terbuka): vacancies, eligibility, applications, stage results."""
