/** The native menu: File › Open Folder…, Export ›, Quit; Help › About. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppEvent } from '../../../shared/app-contract';

type MenuCommand = Extract<AppEvent, { type: 'menu' }>['command'];

export function buildMenu(send: (command: MenuCommand) => void, isMac: boolean): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => send('open-folder') },
        {
          label: 'Export',
          submenu: [
            { label: 'CSV of all keys…', click: () => send('export-csv') },
            { label: 'Chart as PNG…', click: () => send('export-png') },
            { label: 'Chart as SVG…', click: () => send('export-svg') },
            { label: 'Full result as JSON…', click: () => send('export-json') },
          ],
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { label: 'Help', submenu: [{ label: 'About logpool', click: () => send('about') }] },
  ];
  return Menu.buildFromTemplate(template);
}
