/** What every page and email knows about the shop. */
export interface Shop {
  name: string;
  locale: string;
  currency: string;
  baseUrl: string;
}
