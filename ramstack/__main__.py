from ramstack.cli import main

raise SystemExit(main())
