; Inno Setup script: setup.exe for RepairFloor on Windows (a floor PC, set up by a supervisor).
; Built by installer\build.ps1 after PyInstaller:  ISCC.exe /DAppVersion=0.1.0 installer\repairfloor.iss
; Installs dist\repairfloor\ into Program Files, with a Start-menu shortcut and an uninstaller.
; The data (database, logs, backups) lives in the user's AppData and is kept on uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C1E8F2A-3B4D-4E5F-9A7B-2C8D1E0F4A61}
AppName=RepairFloor
AppVerName=RepairFloor {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=RepairFloor
DefaultDirName={autopf}\RepairFloor
DefaultGroupName=RepairFloor
UninstallDisplayName=RepairFloor 售后维修中心
UninstallDisplayIcon={app}\repairfloor.exe
OutputDir=..\dist
OutputBaseFilename=RepairFloor-{#AppVersion}-setup
; The icon repairfloor.spec draws from the SVG on Windows.
SetupIconFile=..\build\pyinstaller\repairfloor\repairfloor.ico
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\repairfloor\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\RepairFloor"; Filename: "{app}\repairfloor.exe"
Name: "{group}\{cm:UninstallProgram,RepairFloor}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\RepairFloor"; Filename: "{app}\repairfloor.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\repairfloor.exe"; Description: "{cm:LaunchProgram,RepairFloor}"; Flags: nowait postinstall skipifsilent
