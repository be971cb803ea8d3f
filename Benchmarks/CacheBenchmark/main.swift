print("cache benchmark")
