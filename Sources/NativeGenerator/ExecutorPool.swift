import Diffusion
import Foundation

/// UNet executors for one image size, handed to worker threads one at a time and kept for the next call, so steady
/// state allocates nothing.
final class ExecutorPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [UNetExecutor] = []
    let model: UNet2DModel
    let height: Int
    let width: Int

    init(model: UNet2DModel, height: Int, width: Int) {
        self.model = model
        self.height = height
        self.width = width
    }

    func acquire() throws(DiffusionError) -> UNetExecutor {
        lock.lock()
        let reused = free.popLast()
        lock.unlock()
        if let reused { return reused }
        return try model.executor(height: height, width: width)
    }

    func release(_ executor: UNetExecutor) {
        lock.lock()
        free.append(executor)
        lock.unlock()
    }
}
