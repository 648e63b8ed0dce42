import Foundation

print("csvbench")
