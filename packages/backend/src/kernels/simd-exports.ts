/** The SIMD module's exports a helper thread can run, by the index a job names. */
export const simdExports = ['conv', 'max_pool_grad_2x2'] as const;
