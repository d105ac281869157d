#!/usr/bin/env python3
"""Write a synthetic hospital's HR export (docs/hr-import.md format); nobody in it is real.

    .venv/bin/python scripts/synthetic-hospital.py hospital.csv --psa 4000 --records 600
    .venv/bin/careshift institutions add synthetic "Synthetic General Hospital"
    .venv/bin/careshift workers import hospital.csv --institution synthetic

The same seed always gives the same hospital. Roles are the starter framework's codes
(patient_service_associate, medical_records_officer), so load it first (``careshift demo``
or ``careshift frameworks load``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from careshift.services.synthetic_workforce import hr_rows, write_csv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="CSV file to write")
    parser.add_argument("--psa", type=int, default=4000, help="patient service associates")
    parser.add_argument("--records", type=int, default=600, help="medical records officers")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rows = hr_rows(args.psa, args.records, seed=args.seed)
    write_csv(args.output, rows)
    print(f"wrote {len(rows)} workers to {args.output}")


if __name__ == "__main__":
    main()
