import AccessRiskCLI
import AccessRiskModel

SystemMemory.reuseLargeBlocks()
AccessRiskCommand.main()
