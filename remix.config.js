/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Server-only packages that must not be bundled (native, WASM or large).
  serverDependenciesToBundle: [],
  watchPaths: ["db/**/*.ts"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off: the whole route manifest in one cached file costs less per page (docs/decisions/022-route-manifest-file.md).
    v3_lazyRouteDiscovery: false,
    // v3_singleFetch stays off: see docs/decisions/002-remix-classic-compiler.md
  },
};
