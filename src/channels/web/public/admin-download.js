// Files the console offers for download: fetched with the session's token, then saved as a file.
import { authorizedFetch } from './admin-api.js';
import { ApiError } from './admin-common.js';
import { el } from './dom.js';

/** Fetches `path` and puts a download link for it into `box` (and follows it at once). */
export async function downloadInto(box, path, name, label) {
  const response = await authorizedFetch(path);
  if (!response.ok) throw new ApiError(`HTTP ${response.status}`, `http_${response.status}`, response.status);
  const blob = await response.blob();
  const link = el('a', { download: name, text: label(name) });
  link.href = URL.createObjectURL(blob);
  box.replaceChildren(link);
  link.click();
}
