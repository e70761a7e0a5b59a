from mutte_geo.cli.cli import main

raise SystemExit(main())
