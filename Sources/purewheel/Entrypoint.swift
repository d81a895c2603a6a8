import Foundation
import PurewheelCommands

exit(Purewheel.run(Array(CommandLine.arguments.dropFirst()), in: .process()))
