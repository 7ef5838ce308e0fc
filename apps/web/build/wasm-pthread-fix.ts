import type { Plugin } from 'vite';

const factory = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const guard = 'typeof _scriptDir !== "undefined" && _scriptDir';

/**
 * Keeps tfjs's threaded wasm backend working after minification. tfjs starts each wasm thread
 * from the *source text* of its Emscripten factory (`factory.toString()` in a Blob), where the
 * factory's outer variable `_scriptDir` does not exist. Emscripten guards it with `typeof`, but
 * the minifier, seeing the variable declared in scope, rewrites the guard to `e !== void 0`,
 * which throws "e is not defined" in every thread. In a browser worker `_scriptDir` is always
 * undefined (there is no `document.currentScript`), so the guard is replaced by `false`: the
 * same behaviour, with nothing left for the minifier to break.
 */
export function wasmPthreadFix(): Plugin {
  return {
    name: 'mlap:wasm-pthread-fix',
    transform(code, id) {
      if (!factory.test(id)) return null;
      if (!code.includes(guard)) {
        this.warn(
          `${id}: the _scriptDir guard was not found; threaded wasm may fail when minified`,
        );
        return null;
      }
      return { code: code.replace(guard, 'false'), map: null };
    },
  };
}
