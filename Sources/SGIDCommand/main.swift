print("sgid")
