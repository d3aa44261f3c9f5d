// The entry of dist/isogit.js: isomorphic-git (and pako, which it uses), a bundle of its own required on the first
// git operation through `isogit()` (isogit.ts), as the writers and the HTTP engine are. Activation reads the
// collections first and opens the repositories after, so a window loads git only once it has Insomnia data, and
// a workspace without any never loads it. Import this module only for its types.
export * from 'isomorphic-git';
