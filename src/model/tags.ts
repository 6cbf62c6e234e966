/** A theme assigned to an article, with the terms that triggered it: users must see why. */
export interface ThemeTag {
  id: string;
  score: number;
  terms: string[];
}

/** A region assigned to an article (ISO 3166-2 code where one exists). */
export interface RegionTag {
  code: string;
  name: string;
  terms: string[];
}
