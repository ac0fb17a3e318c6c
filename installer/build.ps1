# Build RepairFloor on Windows: the one-folder bundle (dist\repairfloor\) with PyInstaller, then
# setup.exe with Inno Setup (installer\repairfloor.iss) when its compiler (ISCC.exe) is found.
#
# Usage (PowerShell, from anywhere):  powershell -ExecutionPolicy Bypass -File installer\build.ps1
#   -Venv PATH     the virtual environment to use or create (default: .venv, else build\venv)
#   -NoSetup       stop after the bundle
param([string]$Venv = "", [switch]$NoSetup)
$ErrorActionPreference = "Stop"

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
function Say($Text) { Write-Host "[build] $Text" }

if (-not $Venv) { $Venv = if (Test-Path ".venv\Scripts\python.exe") { ".venv" } else { "build\venv" } }
$Python = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $Python)) {
    Say "creating $Venv"
    py -3.11 -m venv $Venv
    & $Python -m pip install --quiet --upgrade pip
    & $Python -m pip install --quiet ".[postgres,installer]"
}
& $Python -c "import PyInstaller" 2>$null
if ($LASTEXITCODE -ne 0) { & $Python -m pip install --quiet "pyinstaller>=6.6" }

$Started = Get-Date
& $Python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller installer\repairfloor.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
Say ("dist\repairfloor built in {0:N0} s" -f ((Get-Date) - $Started).TotalSeconds)

# The bundle must start: create a database and render the screenshots offscreen.
$Tmp = Join-Path $env:TEMP ("repairfloor-check-" + [guid]::NewGuid())
$env:REPAIRFLOOR_DATA_DIR = "$Tmp\data"; $env:QT_QPA_PLATFORM = "offscreen"
$env:REPAIRFLOOR_ADMIN_PASSWORD = "check-bundle-1"
$Db = "sqlite:///" + ($Tmp -replace "\\", "/") + "/x.db"
& dist\repairfloor\repairfloor-cli.exe --db $Db init --admin admin
& dist\repairfloor\repairfloor-cli.exe --db $Db screenshot --out "$Tmp\shots"
if ($LASTEXITCODE -ne 0) { throw "the bundle did not render its screenshots" }
Remove-Item Env:REPAIRFLOOR_DATA_DIR, Env:QT_QPA_PLATFORM, Env:REPAIRFLOOR_ADMIN_PASSWORD
Say "bundle check ok ($((Get-ChildItem "$Tmp\shots\*.png").Count) screenshots)"

if ($NoSetup) { exit 0 }
$Iscc = @(
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe"
) | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $Iscc) { Say "Inno Setup 6 not found: install it (winget install JRSoftware.InnoSetup) for setup.exe"; exit 0 }
$Version = & $Python -c "import app; print(app.__version__)"
& $Iscc "/DAppVersion=$Version" installer\repairfloor.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Say "dist\RepairFloor-$Version-setup.exe written"
