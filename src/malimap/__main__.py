from malimap.cli import main

raise SystemExit(main())
