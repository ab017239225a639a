/**
 * The part of the WebAssembly JS API the block reader uses. (TypeScript declares WebAssembly only
 * in its DOM library, which Node-side code does not include; Node provides the global.)
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: BufferSource);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
  function validate(bytes: BufferSource): boolean;
}
