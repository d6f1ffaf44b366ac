// What a page declaration is, shared by routes.tsx and each journey's routes file.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from './session.js';

export type PageProps = { params: Record<string, string> };

export type RouteDef = {
  path: string;
  title: string;
  /** The least role that may open the page; a public page (sign-in) has none and needs no session. */
  minRole: Role | null;
  page: LazyExoticComponent<ComponentType<PageProps>>;
};

/** A page loaded when first opened, so the first page a person sees carries only its own code. */
export const lazyPage = <M>(load: () => Promise<M>, pick: (m: M) => ComponentType<PageProps>) =>
  lazy(async () => ({ default: pick(await load()) }));
