import AccessRiskCLI

AccessRiskCommand.main()
