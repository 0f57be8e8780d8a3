/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In `npm run dev` the API runs on :8000 (make run); in production the API serves dist/ itself.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/v1": "http://127.0.0.1:8000", "/kb": "http://127.0.0.1:8000" } },
  // The manifest tells scripts/bundle-size.mjs which chunks the applicant pages load.
  build: { sourcemap: false, chunkSizeWarningLimit: 400, manifest: true },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
