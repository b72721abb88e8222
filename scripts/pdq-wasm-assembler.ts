/**
 * WebAssembly text → binary for the PDQ kernels, through wabt (a devDependency: only the build
 * script and the drift test assemble; the hasher loads the committed binary).
 *
 * @example
 *   const bytes = await assemblePdqKernels(readFileSync('pdq-kernels.wat', 'utf8'));
 */
import wabtInit from 'wabt';

export async function assemblePdqKernels(wat: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('pdq-kernels.wat', wat, { simd: true, bulk_memory: true });
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({ write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}
